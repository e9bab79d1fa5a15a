// Side-effect imports of stylesheets (fonts); Vite bundles them.
declare module '*.css';
