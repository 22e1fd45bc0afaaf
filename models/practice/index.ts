export * from "./schedule";
export * from "./queue";
export * from "./progress";
