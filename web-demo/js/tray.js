// The tray: which articles, how many. Prices come from the package (core), never from JS sums.
export class Tray {
  #items = new Map();

  add(codeArticle) {
    this.#items.set(codeArticle, (this.#items.get(codeArticle) ?? 0) + 1);
  }

  removeOne(codeArticle) {
    const left = (this.#items.get(codeArticle) ?? 0) - 1;
    if (left > 0) this.#items.set(codeArticle, left);
    else this.#items.delete(codeArticle);
  }

  clear() {
    this.#items.clear();
  }

  get empty() {
    return this.#items.size === 0;
  }

  /** The package's CartItem[]. */
  get cart() {
    return [...this.#items].map(([codeArticle, quantite]) => ({ codeArticle, quantite }));
  }
}
