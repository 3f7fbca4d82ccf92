// What the demo's back end says about this till: GET /demo/config (from the sandbox's fixtures).
export async function loadConfig() {
  const response = await fetch("/demo/config");
  if (!response.ok) throw Object.assign(new Error(`GET /demo/config: ${response.status}`), { code: "demo.config" });
  return response.json();
}
