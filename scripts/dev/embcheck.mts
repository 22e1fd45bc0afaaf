import { env, pipeline } from "@xenova/transformers";
import { loadUseLite, cosine } from "../../models/embed/index";
const e = await loadUseLite();
const texts = ["aphasia", "Naming exercises for aphasia therapy: look at the picture, say the word", "", "pan de molde", "a b c d e f g h"];
const mine = await e.embed(texts);
env.allowRemoteModels = false; env.localModelPath = "models/";
const p = await pipeline("feature-extraction", "use-lite-en", { quantized: false });
const ref = await p(texts.map((t) => t.trim() || " "), { pooling: "mean", normalize: true });
texts.forEach((t, i) => console.log(JSON.stringify(t), cosine(mine[i]!, (ref.data as Float32Array).slice(i * 512, i * 512 + 512)).toFixed(6)));
