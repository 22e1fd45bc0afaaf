import { checkDatabaseUrl } from "./preflight";

export default async function setup() {
  await checkDatabaseUrl();
}
