// `npm run train:pinsage [-- --epochs 6 --hidden 128 --seed 42 --quiet]`
// Trains PinSage card embeddings on the app database (TABLERO_DATA_DIR, default ./data): walks on the
// card–board graph, positives from boards and the engagement log, max-margin loss with hard negatives.
// Writes every card's embedding to pin_sage_vec and the weights to <data>/models/pinsage-weights.json.
import { parseArgs } from "node:util";
import { Presets, SingleBar } from "cli-progress";
import { openDb } from "../db/client";
import { dbFile } from "../db/paths";
import { trainPinSage } from "../app/services/pinsage.server";

const { values } = parseArgs({
  options: {
    epochs: { type: "string" },
    hidden: { type: "string" },
    seed: { type: "string" },
    lr: { type: "string" },
    quiet: { type: "boolean" },
  },
});
const num = (name: string, v: string | undefined, min: number, max: number): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) {
    console.error(`--${name} must be a number from ${min} to ${max}`);
    process.exit(2);
  }
  return n;
};
const epochs = num("epochs", values.epochs, 1, 100);
const hidden = num("hidden", values.hidden, 4, 1024);
const seed = num("seed", values.seed, 0, 2 ** 31);
const lr = num("lr", values.lr, 1e-6, 1);

const file = dbFile();
const db = openDb(file);
const cards = (db.$client.prepare("SELECT count(*) AS n FROM pin_vec").get() as { n: number }).n;
if (cards === 0) {
  console.error(`No card vectors in ${file}: run \`npm run setup\` first.`);
  process.exit(1);
}
console.log(`Training PinSage on ${file} (${cards} cards with content vectors) …`);
const bar = new SingleBar(
  { format: "Epoch {epoch}/{epochs} [{bar}] {value}/{total} batches | last epoch loss {loss}", hideCursor: true },
  Presets.shades_classic,
);
let started = false;
let epoch = 1;
let lastLoss = "–";
const summary = await trainPinSage(
  db,
  {
    epochs,
    hidden,
    seed,
    lr,
    onBatch: (done, total) => {
      if (values.quiet) return;
      if (!started) {
        bar.start(total, 0, { epoch, epochs, loss: lastLoss });
        started = true;
      }
      bar.update(done, { epoch, epochs, loss: lastLoss });
    },
  },
  (e) => {
    lastLoss = e.loss.toFixed(4);
    epoch = Math.min(e.epoch + 1, e.epochs);
    if (values.quiet)
      console.log(
        `epoch ${e.epoch}/${e.epochs}: loss ${e.loss.toFixed(4)} (${e.hardNegatives} hard negatives per query, ${e.seconds.toFixed(1)} s)`,
      );
    else {
      bar.stop();
      console.log(
        `  epoch ${e.epoch}/${e.epochs}: loss ${e.loss.toFixed(4)}, ${e.hardNegatives} hard negatives per query, ${e.seconds.toFixed(1)} s`,
      );
      started = false;
    }
  },
);
if (started) bar.stop();
console.log(
  [
    `Done in ${summary.seconds.toFixed(1)} s.`,
    `  graph: ${summary.graphPins} cards on ${summary.boards} public boards`,
    `  positive pairs: ${summary.positives.boards} from boards, ${summary.positives.engagement} from engagement`,
    `  loss: ${summary.losses.map((l) => l.toFixed(4)).join(" → ")}`,
    `  wrote ${summary.written} card embeddings to pin_sage_vec`,
    `  weights: ${summary.weightsFile}`,
  ].join("\n"),
);
db.$client.close();
