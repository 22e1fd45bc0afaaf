// `npm run backup -- DIR`: an online, consistent copy of the data directory (database + pictures +
// models) into DIR, safe while the app is running. See README "Back up and restore".
import { resolve } from "node:path";
import { backupTo } from "../db/backup";
import { dataDir } from "../db/paths";

const dest = process.argv[2];
if (!dest) {
  console.error("Usage: npm run backup -- DIR   (DIR must be new or empty)");
  process.exit(2);
}
try {
  const m = await backupTo(dataDir(), resolve(dest));
  const bytes = m.database.bytes + m.files.reduce((s, f) => s + f.bytes, 0);
  console.log(
    `Backed up ${dataDir()} to ${resolve(dest)}: database (${m.database.migrations} migrations) and ${m.files.length} files, ${(bytes / 1e6).toFixed(1)} MB.`,
  );
} catch (e) {
  console.error(`Backup failed: ${(e as Error).message}`);
  process.exit(1);
}
