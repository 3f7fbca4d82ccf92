// The native bridge's WebSocket (native-bridge/README.md): requests with an id, answers
// {id, type: "result" | "error", ...}, events {type: "event", event, reader, cardType?}.
export class Bridge extends EventTarget {
  #socket;
  #nextId = 1;
  #pending = new Map();

  /** Opens the socket; resolves once connected. */
  static connect(url) {
    return new Promise((resolve, reject) => {
      const bridge = new Bridge();
      const socket = new WebSocket(url);
      bridge.#socket = socket;
      socket.addEventListener("open", () => resolve(bridge), { once: true });
      socket.addEventListener("error", () => reject(Object.assign(new Error(`cannot reach the card bridge at ${url}`), { code: "bridge.unreachable" })), { once: true });
      socket.addEventListener("message", (m) => bridge.#receive(m.data));
      socket.addEventListener("close", () => {
        for (const { reject: fail } of bridge.#pending.values()) fail(Object.assign(new Error("the card bridge closed"), { code: "bridge.closed" }));
        bridge.#pending.clear();
        bridge.dispatchEvent(new Event("close"));
      });
    });
  }

  /** Sends `{id, type, ...fields}`; resolves with `result`, rejects with an Error carrying `code`. */
  request(type, fields = {}) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#socket.send(JSON.stringify({ id, type, ...fields }));
    });
  }

  #receive(text) {
    const message = JSON.parse(text);
    if (message.type === "event") {
      this.dispatchEvent(new CustomEvent(message.event, { detail: message }));
      return;
    }
    const waiting = this.#pending.get(message.id);
    if (!waiting) return;
    this.#pending.delete(message.id);
    if (message.type === "result") waiting.resolve(message.result);
    else waiting.reject(Object.assign(new Error(message.message ?? message.code), { code: message.code }));
  }
}
