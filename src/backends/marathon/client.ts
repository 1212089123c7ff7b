// Marathon REST client for the real DC/OS target: create/read/update/delete apps under /v2/apps and
// wait for the deployments they start. Facts about the API are in shared/REFERENCE.md ("REST").
// Ids go through the core's absoluteAppId, the one normaliser that validation, the providers and this
// client share: a second one that disagreed made every update of "/shop//web/" fail.
import { absoluteAppId } from "../../core/marathon/appId";
import { clusterUrlOf, login, stripSlashes } from "./auth";
import { MarathonError } from "./errors";
import { HttpResponse, NetworkError, Transport } from "./http";
import { CallContext, errorForAnswer } from "./answerErrors";
import { waitForDeployment } from "./deploymentWait";
import type { AppDefinition, Deployment, DeploymentResult, MarathonApp, MarathonClientOptions, WaitOptions } from "./clientTypes";

export type { AppDefinition, Deployment, DeploymentResult, MarathonApp, MarathonClientOptions, WaitOptions } from "./clientTypes";

export { dcosMarathonUrl, clusterUrlOf } from "./auth";
export { MarathonError, marathonPathToJsonPath } from "./errors";
export type { MarathonErrorKind } from "./errors";

export class MarathonClient {
  readonly url: string;
  readonly clusterUrl: string;
  private readonly transport: Transport;
  private readonly log: (msg: string) => void;
  private token: string | undefined;
  private pendingLogin: Promise<string> | undefined;

  constructor(private readonly options: MarathonClientOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new Error(`Marathon URL "${options.url}" is not a URL; expected e.g. https://<cluster>/service/marathon`);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      throw new Error(`Marathon URL "${options.url}" must start with http:// or https://`);
    }
    this.url = stripSlashes(options.url);
    this.clusterUrl = clusterUrlOf(this.url);
    this.token = options.token || undefined;
    this.log = options.log ?? (() => {});
    this.transport = new Transport({
      caBundle: options.caBundle,
      insecureSkipVerify: options.insecureSkipVerify,
      timeoutMs: options.timeoutMs ?? 30_000,
    });
  }

  /** POST /v2/apps. The app is sent exactly as given. */
  async createApp(app: AppDefinition): Promise<{ deploymentId: string; app: MarathonApp }> {
    const appId = typeof app.id === "string" ? absoluteAppId(app.id) : undefined;
    const ctx: CallContext = { method: "POST", path: "/v2/apps", body: app, appId };
    const res = await this.call(ctx);
    if (res.status !== 201 && res.status !== 200) throw this.errorFor(res, ctx);
    const created = res.body as MarathonApp;
    const header = res.headers["marathon-deployment-id"];
    const deploymentId = (Array.isArray(header) ? header[0] : header) ?? created?.deployments?.[0]?.id;
    if (!deploymentId) throw this.unexpected(res, ctx, "no Marathon-Deployment-Id header");
    return { deploymentId, app: created };
  }

  /** GET /v2/apps/{id}; undefined when Marathon has no such app. */
  async getApp(id: string): Promise<MarathonApp | undefined> {
    const appId = absoluteAppId(id);
    const ctx: CallContext = { method: "GET", path: appPath(appId), appId };
    const res = await this.call(ctx);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw this.errorFor(res, ctx);
    const app = (res.body as { app?: MarathonApp } | undefined)?.app;
    if (!app) throw this.unexpected(res, ctx, "no `app` in the answer");
    return app;
  }

  /**
   * PUT /v2/apps/{id}?partialUpdate=false[&force=true]: replaces the definition (creates the app if missing).
   * Marathon merges a PUT into the stored app unless told not to (AppsResource.scala@releases/1.5 and
   * @releases/1.10: `@DefaultValue("true") @QueryParam("partialUpdate")`), so without the flag a field
   * removed from the definition (a label, an env var, a constraint, cmd swapped for args) stays.
   */
  async updateApp(id: string, app: AppDefinition, opts: { force?: boolean } = {}): Promise<DeploymentResult> {
    const appId = absoluteAppId(id);
    if (app.id !== undefined && absoluteAppId(String(app.id)) !== appId) {
      const reason = `the definition's id ${JSON.stringify(app.id)} differs from the app being updated (${appId})`;
      throw new MarathonError(`cannot update app ${appId}: ${reason}`, "invalid", undefined, [{ property: "id", reason }]);
    }
    const body = app.id === undefined ? { ...app, id: appId } : app;
    const query = `?partialUpdate=false${opts.force ? "&force=true" : ""}`;
    const ctx: CallContext = { method: "PUT", path: appPath(appId), query, body, appId };
    const res = await this.call(ctx);
    if (res.status !== 200 && res.status !== 201) throw this.errorFor(res, ctx);
    return this.deploymentResult(res, ctx);
  }

  /**
   * DELETE /v2/apps/{id}?force=false|true; undefined when the app is already gone. Marathon's default
   * is force=true (AppsResource.scala@releases/1.5 and @releases/1.10: `@DefaultValue("true")
   * @QueryParam("force")` on delete): it would cancel any deployment of the app, somebody else's too,
   * and never answer 409. So force=false is sent unless force is asked for: a held app answers 409
   * "locked" with the deployments, and the caller decides (deployer.deleteApp waits for them).
   */
  async deleteApp(id: string, opts: { force?: boolean } = {}): Promise<DeploymentResult | undefined> {
    const appId = absoluteAppId(id);
    const ctx: CallContext = { method: "DELETE", path: appPath(appId), query: explicitForce(opts.force), appId };
    const res = await this.call(ctx);
    if (res.status === 404) return undefined;
    if (res.status !== 200 && res.status !== 202) throw this.errorFor(res, ctx);
    return this.deploymentResult(res, ctx);
  }

  // --- pods (/v2/pods): each change answers with the Marathon-Deployment-Id header ---

  /** POST /v2/pods → 201. The pod is sent exactly as given. */
  async createPod(pod: Record<string, unknown>): Promise<DeploymentResult> {
    const podId = typeof pod.id === "string" ? absoluteAppId(pod.id) : undefined;
    const ctx: CallContext = { method: "POST", path: "/v2/pods", body: pod, appId: podId, kind: "pod" };
    const res = await this.call(ctx);
    if (res.status !== 201 && res.status !== 200) throw this.errorFor(res, ctx);
    return this.headerDeployment(res, ctx);
  }

  /** GET /v2/pods/{id}: the pod's definition; undefined when Marathon has no such pod. */
  async getPod(id: string): Promise<Record<string, unknown> | undefined> {
    const podId = absoluteAppId(id);
    const ctx: CallContext = { method: "GET", path: podPath(podId), appId: podId, kind: "pod" };
    const res = await this.call(ctx);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw this.errorFor(res, ctx);
    if (!res.body || typeof res.body !== "object") throw this.unexpected(res, ctx, "no pod in the answer");
    return res.body as Record<string, unknown>;
  }

  /**
   * PUT /v2/pods/{id}[?force=true] → 200, also when it creates (PodsResource.scala@releases/1.5 and
   * @releases/1.10 `update`: `Response.ok`). A pod PUT is always a full replacement: it has no
   * partialUpdate parameter (the body is read as a whole Pod).
   */
  async updatePod(id: string, pod: Record<string, unknown>, opts: { force?: boolean } = {}): Promise<DeploymentResult> {
    const podId = absoluteAppId(id);
    const ctx: CallContext = { method: "PUT", path: podPath(podId), query: forceQuery(opts.force), body: { ...pod, id: podId }, appId: podId, kind: "pod" };
    const res = await this.call(ctx);
    if (res.status !== 200 && res.status !== 201) throw this.errorFor(res, ctx);
    return this.headerDeployment(res, ctx);
  }

  /**
   * DELETE /v2/pods/{id}?force=false|true → 202 with no body, the deployment in the header; undefined
   * when the pod is already gone. Pods default to force=false (PodsResource.scala@both `remove`); it is
   * sent explicitly all the same, so apps and pods read alike.
   */
  async deletePod(id: string, opts: { force?: boolean } = {}): Promise<DeploymentResult | undefined> {
    const podId = absoluteAppId(id);
    const ctx: CallContext = { method: "DELETE", path: podPath(podId), query: explicitForce(opts.force), appId: podId, kind: "pod" };
    const res = await this.call(ctx);
    if (res.status === 404) return undefined;
    if (res.status !== 202 && res.status !== 200) throw this.errorFor(res, ctx);
    return this.headerDeployment(res, ctx);
  }

  /** GET /v2/deployments: the deployments still running. */
  async listDeployments(): Promise<Deployment[]> {
    const ctx: CallContext = { method: "GET", path: "/v2/deployments" };
    const res = await this.call(ctx);
    if (res.status !== 200) throw this.errorFor(res, ctx);
    if (!Array.isArray(res.body)) throw this.unexpected(res, ctx, "the answer is not a list");
    return res.body as Deployment[];
  }

  /** Polls /v2/deployments until the deployment has left the list (= finished), or times out. */
  async waitForDeployment(deploymentId: string, opts: WaitOptions = {}): Promise<void> {
    await waitForDeployment(deploymentId, opts, {
      url: this.url,
      listDeployments: () => this.listDeployments(),
      log: this.log,
      redact: (m) => this.redact(m),
    });
  }

  /** Releases the keep-alive connections. */
  close(): void {
    this.transport.close();
  }

  // --- plumbing ---

  private get canLogin(): boolean {
    return Boolean(this.options.uid && this.options.password);
  }

  private loginOnce(): Promise<string> {
    this.pendingLogin ??= login(this.transport, this.clusterUrl, this.options.uid!, this.options.password!).finally(
      () => (this.pendingLogin = undefined),
    );
    return this.pendingLogin;
  }

  /** One request with auth; the only retry is a single re-login when a token is rejected with 401. */
  private async call(ctx: CallContext): Promise<HttpResponse> {
    let loggedInNow = false;
    if (!this.token && this.canLogin) {
      this.token = await this.loginOnce();
      loggedInNow = true;
    }
    let res = await this.send(ctx);
    if (res.status === 401 && this.canLogin && !loggedInNow) {
      this.log(`Marathon rejected the token (401); logging in again as uid "${this.options.uid}"`);
      this.token = undefined;
      this.token = await this.loginOnce();
      res = await this.send(ctx);
    }
    return res;
  }

  private async send(ctx: CallContext): Promise<HttpResponse> {
    const url = new URL(this.url + ctx.path + (ctx.query ?? ""));
    const headers: Record<string, string> = this.token ? { authorization: `token=${this.token}` } : {};
    try {
      return await this.transport.request(ctx.method, url, headers, ctx.body);
    } catch (err) {
      if (err instanceof NetworkError) {
        throw new MarathonError(this.redact(`Marathon at ${this.url} is unreachable: ${err.detail}`), "unreachable");
      }
      throw err;
    }
  }

  private deploymentResult(res: HttpResponse, ctx: CallContext): DeploymentResult {
    const body = res.body as { deploymentId?: unknown; version?: unknown } | undefined;
    if (typeof body?.deploymentId !== "string") throw this.unexpected(res, ctx, "no deploymentId in the answer");
    return { deploymentId: body.deploymentId, version: typeof body.version === "string" ? body.version : undefined };
  }

  /** /v2/pods answers name their deployment in the Marathon-Deployment-Id header. */
  private headerDeployment(res: HttpResponse, ctx: CallContext): DeploymentResult {
    const header = res.headers["marathon-deployment-id"];
    const deploymentId = Array.isArray(header) ? header[0] : header;
    if (!deploymentId) throw this.unexpected(res, ctx, "no Marathon-Deployment-Id header");
    const version = (res.body as { version?: unknown } | undefined)?.version;
    return { deploymentId, version: typeof version === "string" ? version : undefined };
  }

  private errorFor(res: HttpResponse, ctx: CallContext): MarathonError {
    return errorForAnswer(res, ctx, { url: this.url, hasToken: Boolean(this.token), redact: (m) => this.redact(m) });
  }

  private unexpected(res: HttpResponse, ctx: CallContext, what: string): MarathonError {
    return new MarathonError(
      this.redact(`Marathon at ${this.url} answered ${ctx.method} ${ctx.path} with ${res.status} but ${what}`),
      "server",
      res.status,
    );
  }

  /** Belt and braces: a server that echoes the token must not get it into our messages. */
  private redact(message: string): string {
    let out = message;
    for (const secret of [this.token, this.options.token, this.options.password]) {
      if (secret) out = out.split(secret).join("<redacted>");
    }
    return out;
  }
}

function appPath(appId: string): string {
  return "/v2/apps" + appId.split("/").map(encodeURIComponent).join("/");
}

function podPath(podId: string): string {
  return "/v2/pods" + podId.split("/").map(encodeURIComponent).join("/");
}

function forceQuery(force: boolean | undefined): string {
  return force ? "?force=true" : "";
}

/** For DELETE, whose default differs between apps (true) and pods (false): always say which. */
function explicitForce(force: boolean | undefined): string {
  return `?force=${force ? "true" : "false"}`;
}
