// The production server (`npm start` runs it after setup and build; the browser tests run it too).
//
// Password hashing and picture reads share libuv's thread pool (4 threads by default), and the pool is
// sized when it is first used — before any line of ours runs under tsx. So when UV_THREADPOOL_SIZE is
// not set, start again with it set rather than hope (finding 9).
export {};

if (!process.env.UV_THREADPOOL_SIZE) {
  const { spawn } = await import("node:child_process");
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, UV_THREADPOOL_SIZE: "16" },
  });
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => child.kill(sig));
  child.on("exit", (code, signal) => process.exit(code ?? (signal === "SIGTERM" ? 143 : 1)));
} else {
  const { main } = await import("./serve-main");
  await main();
}
