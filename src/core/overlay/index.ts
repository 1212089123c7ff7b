export * from "./types";
export * from "./validateOverlay";
export * from "./validateOverlaySet";
export * from "./configYaml";
