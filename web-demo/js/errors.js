// Shows an error with its stable `code` (CrousTillError, the bridge's codes, the demo's own).
const box = () => document.getElementById("error");

export function showError(error, context = "") {
  const el = box();
  const code = error?.code ?? "unknown";
  el.hidden = false;
  el.dataset.code = code;
  el.replaceChildren();
  const title = document.createElement("strong");
  title.textContent = `${context ? context + " : " : ""}${code}`;
  const message = document.createElement("p");
  message.textContent = error?.message ?? String(error);
  el.append(title, message);
  if (Array.isArray(error?.details)) {
    const list = document.createElement("ul");
    for (const v of error.details) {
      const item = document.createElement("li");
      item.textContent = v.code ? `${v.code} ${v.path ?? ""} ${v.message ?? ""}` : JSON.stringify(v);
      list.append(item);
    }
    el.append(list);
  }
  console.error(context, error);
}

export function clearError() {
  const el = box();
  el.hidden = true;
  delete el.dataset.code;
  el.replaceChildren();
}
