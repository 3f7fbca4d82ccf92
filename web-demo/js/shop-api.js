// The web shop's back end (`/demo/shop/...` in `crous-till demo`): it holds the partner's API key
// and calls IzlyConnect and IzlyPay with core. Errors come back as {code, message}.
async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body ? { "Content-Type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (response.status === 204) return null;
  const json = await response.json();
  if (!response.ok) throw Object.assign(new Error(json.message ?? response.statusText), { code: json.code ?? `http.${response.status}` });
  return json;
}

export const me = () => call("GET", "/demo/shop/me");
export const logout = () => call("POST", "/demo/shop/logout");
export const startPayment = (amount) => call("POST", "/demo/shop/payments", { amount });
export const payment = (order) => call("GET", `/demo/shop/payments/${encodeURIComponent(order)}`);
export const refund = (order) => call("POST", `/demo/shop/payments/${encodeURIComponent(order)}/refund`);
