export * from "./values.js";
export * from "./diagnostics.js";
export * from "./resources.js";
export * from "./plan.js";
export * from "./environment.js";
export * from "./paths.js";
export * from "./comparison.js";
