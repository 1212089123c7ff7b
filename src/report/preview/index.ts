// Preview JSON → Markdown for pull requests (see renderMarkdown.ts).
export { renderPreviewMarkdown } from "./renderMarkdown";
export type { RenderOptions } from "./renderMarkdown";
export { readPreview } from "./previewJson";
export type { Preview, PreviewStep, PreviewDiagnostic } from "./previewJson";
export { isSecret, maskSecrets } from "./secrets";
export { readPolicyViolations } from "./policyViolations";
export type { PolicyViolation } from "./policyViolations";
