import wabtInit from "wabt";

/** WebAssembly text → binary with WABT (a dev dependency: only the build script and a test use it). */
export async function compileWat(text: string): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const module = wabt.parseWat("kernel.wat", text);
  try {
    module.validate();
    return Uint8Array.from(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}
