// Bundled in place of node:stream/web (esbuild alias, infra/bundling.ts). @middy/core imports
// ReadableStream from it for streamed responses, which no function here sends; importing the
// builtin loads Node's whole web streams implementation (11 internal modules, ~2 ms of a cold
// start). Each export is taken from the builtin when it is first read instead.
const NAMES = [
  'ReadableStream', 'ReadableStreamDefaultReader', 'ReadableStreamBYOBReader', 'ReadableStreamBYOBRequest',
  'ReadableByteStreamController', 'ReadableStreamDefaultController', 'TransformStream', 'TransformStreamDefaultController',
  'WritableStream', 'WritableStreamDefaultWriter', 'WritableStreamDefaultController', 'ByteLengthQueuingStrategy',
  'CountQueuingStrategy', 'TextEncoderStream', 'TextDecoderStream', 'CompressionStream', 'DecompressionStream',
];
for (const name of NAMES) {
  Object.defineProperty(exports, name, { enumerable: true, get: () => process.getBuiltinModule('node:stream/web')[name] });
}
