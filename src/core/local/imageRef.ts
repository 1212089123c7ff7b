// Docker image references as the engine reads them (distribution's reference grammar and its
// "familiar name" normalisation): which registry an image comes from, which repository, which tag
// or digest. Pure: the Docker backend pulls with it, the app's check refuses a reference the
// engine would refuse, and pull failures name the registry with it.

export interface ImageRef {
  /** What the user wrote, e.g. `nginx:1.25` or `127.0.0.1:5000/shop/web:2`. */
  original: string;
  /** The registry's host[:port]; `docker.io` for Docker Hub. */
  registry: string;
  /** Path inside the registry; Docker Hub's official images get `library/`. */
  repository: string;
  /** The tag; `latest` when neither a tag nor a digest is given. */
  tag?: string;
  /** `algorithm:hex`, when the reference pins a digest. */
  digest?: string;
}

export const DOCKER_HUB = "docker.io";

// distribution/reference's grammar (regexp.go), without the IPv6-literal host form. A separator is
// `[._]|__|[-]+`: never empty, so each way through a name is the only one and JavaScript's
// backtracking engine refuses an invalid name in linear time. (An older copy had `[-]*`, the same
// language, but an empty separator split a run of letters every possible way: a 30-character
// invalid name took seconds to refuse, each letter more doubling it.) test/unit/redos.test.ts
// checks every pattern in src/ for super-linear backtracking.
const COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
const DOMAIN_PART = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = new RegExp(`^${DOMAIN_PART}(?:\\.${DOMAIN_PART})*(?::[0-9]+)?$`);
const PATH = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const NAME_MAX = 255;

/** Docker's own wording for a reference it cannot parse. */
export const INVALID_REFERENCE = "invalid reference format";

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Splits a reference as the engine does: the first path component is a registry when it has a
 * `.` or a `:` or is `localhost` (`nginx` and `shop/web` are on Docker Hub; `localhost/web`,
 * `127.0.0.1:5000/web` and `registry.example.com/web` are not).
 */
export function parseImageRef(image: string): Parsed<ImageRef> {
  const invalid = (detail?: string): Parsed<ImageRef> => ({ ok: false, reason: detail ? `${INVALID_REFERENCE}: ${detail}` : INVALID_REFERENCE });
  if (typeof image !== "string" || image.length === 0) return invalid();
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  // Docker checks the name's length after its pattern; here it comes before any pattern, so none
  // ever reads more than 255 characters of a name. (The tag's and digest's patterns are linear.)
  if (rest.length > NAME_MAX) return invalid(`repository name must not be more than ${NAME_MAX} characters`);
  if (digest !== undefined && !DIGEST.test(digest)) return invalid("the digest after @ must be algorithm:hex (e.g. sha256:…)");
  if (tag !== undefined && !TAG.test(tag)) return invalid(`tag ${JSON.stringify(tag)} must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`);
  const slash = rest.indexOf("/");
  const first = slash < 0 ? "" : rest.slice(0, slash);
  const hasDomain = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  let registry = hasDomain ? first : DOCKER_HUB;
  let repository = hasDomain ? rest.slice(slash + 1) : rest;
  if (hasDomain && !DOMAIN.test(registry)) return invalid(`registry ${JSON.stringify(registry)} is not a host[:port]`);
  if (repository !== repository.toLowerCase() && PATH.test(repository.toLowerCase())) return invalid("repository name must be lowercase");
  if (!PATH.test(repository)) return invalid();
  if (registry === "index.docker.io") registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && !repository.includes("/")) repository = `library/${repository}`;
  return {
    ok: true,
    value: { original: image, registry, repository, ...(tag !== undefined || digest === undefined ? { tag: tag ?? "latest" } : {}), ...(digest ? { digest } : {}) },
  };
}

/** What the Engine API's image create (pull) takes: `fromImage` and `tag` (a tag or a digest). */
export function pullParameters(ref: ImageRef): { fromImage: string; tag: string } {
  return { fromImage: `${ref.registry}/${ref.repository}`, tag: ref.digest ?? ref.tag ?? "latest" };
}
