// A pull's progress from the engine's stream of JSON events ({status, id, progressDetail}), kept
// as one line a user can read: layers done of layers seen, bytes downloaded of bytes known. Pure;
// the backend decides when to show it.

export interface PullEvent {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
}

interface Layer {
  current: number;
  total: number;
  done: boolean;
}

const DONE = new Set(["Pull complete", "Already exists", "Download complete"]);

export class PullProgress {
  private readonly layers = new Map<string, Layer>();

  /** Records one event; true when a layer just finished (a moment worth telling). */
  add(event: PullEvent): boolean {
    const id = event.id;
    const status = event.status ?? "";
    // Events without a layer id (or whose id is the tag: "Pulling from …") are about the image.
    if (!id || status.startsWith("Pulling from") || status.startsWith("Digest") || status.startsWith("Status")) return false;
    const layer = this.layers.get(id) ?? { current: 0, total: 0, done: false };
    this.layers.set(id, layer);
    if (status === "Downloading") {
      layer.current = event.progressDetail?.current ?? layer.current;
      layer.total = event.progressDetail?.total ?? layer.total;
    }
    if ((status === "Pull complete" || status === "Already exists") && !layer.done) {
      layer.done = true;
      if (layer.total > 0) layer.current = layer.total;
      return true;
    }
    if (DONE.has(status) && layer.total > 0) layer.current = layer.total;
    return false;
  }

  /** e.g. "2 of 5 layers, 12.3 MB of 40.1 MB downloaded". */
  summary(): string {
    const layers = [...this.layers.values()];
    if (layers.length === 0) return "no layer to download"; // the engine had them all
    const done = layers.filter((l) => l.done).length;
    const current = layers.reduce((s, l) => s + l.current, 0);
    const total = layers.reduce((s, l) => s + l.total, 0);
    const bytes = total > 0 ? `, ${size(current)} of ${size(total)} downloaded` : "";
    return `${done} of ${layers.length} layer${layers.length === 1 ? "" : "s"}${bytes}`;
  }
}

function size(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} B`;
}
