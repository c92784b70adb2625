// Bundled in place of node:fs/promises (esbuild alias, infra/bundling.ts): taken as a CommonJS module, the
// builtin's lazy getters stay lazy. getBuiltinModule rather than require, so the alias cannot loop.
module.exports = process.getBuiltinModule('node:fs/promises');
