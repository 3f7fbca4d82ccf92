// IzlyConnect through the addon against the sandbox: the authorize URL, the login page driven
// over HTTP, code → tokens, the user, a refresh (rotating), and the refusals as typed errors.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { addon, startSandbox, formAction, hiddenFields, postForm } from "./support/sandbox.mjs";

let sandbox, connect;

before(async () => {
  sandbox = await startSandbox();
  const p = sandbox.fixtures.izly.partners[0];
  connect = new addon.IzlyConnect({ environment: sandbox.baseUrl, clientId: p.app_identifier, apiKey: p.api_key });
});

after(async () => {
  await sandbox?.stop();
});

/** Logs Camille in on the sandbox's page and returns the code of the redirect. */
async function codeFor(state) {
  const url = connect.authorizeUrl("1", state);
  assert.ok(url.startsWith(`${sandbox.baseUrl}/oauth/Home/Authorize?response_type=code&client_id=sandbox-shop&scope=1`));
  const page = await fetch(url, { redirect: "manual" });
  assert.equal(page.status, 200);
  const html = await page.text();
  const action = new URL(formAction(html), sandbox.baseUrl).href;
  const fields = { ...hiddenFields(html), login: "camille.martin@example.invalid", password: "sandbox", action: "connect" };
  const r = await postForm(action, fields);
  assert.equal(r.status, 303);
  const to = new URL(r.headers.get("location"));
  assert.equal(to.searchParams.get("state"), state);
  return to.searchParams.get("code");
}

test("code → tokens → user, refresh rotating, a code used once", async () => {
  const code = await codeFor("st-1");
  const token = await connect.tokenFromCode(code);
  assert.equal(token.token_type, "Bearer");
  assert.ok(token.expires_in > 0);
  assert.ok(token.access_token && token.refresh_token);
  const user = await connect.user(token.access_token);
  assert.equal(user.IdIzly, "6000001265");
  assert.equal(user.CodeClient, "6000050617");

  await assert.rejects(connect.tokenFromCode(code), { code: "izly_connect.bad_request" });
  const refreshed = await connect.refresh(token.refresh_token);
  assert.notEqual(refreshed.access_token, token.access_token);
  assert.equal((await connect.user(refreshed.access_token)).IdIzly, "6000001265");
  // The old refresh token was rotated out.
  await assert.rejects(connect.refresh(token.refresh_token), (e) => e.code.startsWith("izly_connect."));
  await assert.rejects(connect.user("not-a-token"), { code: "izly_connect.unauthorized" });
});

test("a wrong partner key is refused", async () => {
  const p = sandbox.fixtures.izly.partners[0];
  const wrong = new addon.IzlyConnect({ environment: sandbox.baseUrl, clientId: p.app_identifier, apiKey: "wrong" });
  const code = await codeFor("st-2");
  await assert.rejects(wrong.tokenFromCode(code), { name: "CrousTillError", code: "izly_connect.unauthorized" });
  // The code was not spent by the refused call.
  assert.equal((await connect.tokenFromCode(code)).token_type, "Bearer");
});
