// Runs first in `npm start` and as `preinstall`: on an older Node.js, the install ends in a
// node-gyp error blaming "network connectivity" and the build in syntax errors. Say plainly what is
// needed instead. Kept to syntax every Node.js since 12 parses, so that it can say it.
const REQUIRED_MAJOR = 22;
const version = process.versions.node;
if (Number(version.split('.')[0]) < REQUIRED_MAJOR) {
  process.stderr.write(
    '\n' +
      'Wekeza Risk Workstation needs Node.js ' +
      REQUIRED_MAJOR +
      ' or newer; this is Node.js ' +
      version +
      ' (' +
      process.execPath +
      ').\n' +
      'Install Node.js 22 or 24 (https://nodejs.org, or `nvm install 24`), open a new terminal, then run `npm ci` again.\n\n',
  );
  process.exit(1);
}
