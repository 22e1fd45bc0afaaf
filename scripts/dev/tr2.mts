import { spawn } from "node:child_process";
const p = spawn("apertium", ["-u", "spa-eng"], { stdio: ["pipe", "pipe", "pipe"] });
let out = ""; let err = "";
p.stdout.on("data", (d) => (out += d)); p.stderr.on("data", (d) => (err += d));
p.on("close", (code) => console.log(code, JSON.stringify(out), err));
p.stdin.end("manzana roja\n\nejercicios de habla\n");
