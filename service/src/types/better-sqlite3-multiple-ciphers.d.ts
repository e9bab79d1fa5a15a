// better-sqlite3-multiple-ciphers ships better-sqlite3's own typings, but its package.json
// "exports" hides them from TypeScript's resolver: the API is better-sqlite3's.
declare module 'better-sqlite3-multiple-ciphers' {
  import Database from 'better-sqlite3';
  export default Database;
}
