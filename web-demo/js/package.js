// The browser package (wasm/pkg, served at /pkg/ by `crous-till demo`), initialised once.
import init from "/pkg/index.js";

export * from "/pkg/index.js";

/** Resolves when the WebAssembly module is ready (the .wasm next to the module). */
export const ready = init();
