// Vite turns a stylesheet import into a <link>; TypeScript only needs to know the import exists.
declare module '*.css';
