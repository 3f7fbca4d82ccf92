// The browser till's signing key: an Ed25519 key pair made with WebCrypto on first use, its
// private key non-extractable (no script, not even this package's, can read it out), kept in
// IndexedDB (a CryptoKey is stored as it is, by structured clone). Art. 286 I-3° bis CGI: the
// journal archives the till exports are signed with it, and anyone checks them with its public
// key (`crous-till journal verify --public-key`). A browser without Ed25519 in WebCrypto
// (before Chromium 137, Firefox 129, Safari 17) gets `journal.no_signing_key`: archive format 1
// is Ed25519 only.

const STORE = "keys";

function keyError(code, message) {
  const e = new Error(message);
  e.name = "CrousTillError";
  e.code = code;
  return e;
}

function request(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/** The till's key (made and stored the first time): `{ publicKey, sign(message) }`. */
export async function openTillKey(name) {
  const open = indexedDB.open(name || "crous-till-key", 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE);
  let db;
  try {
    db = await request(open);
  } catch (e) {
    throw keyError("journal.key_store", `the key store cannot be opened: ${e && e.message}`);
  }
  let kept = await request(db.transaction(STORE, "readonly").objectStore(STORE).get("till"));
  if (!kept) {
    let pair;
    try {
      pair = await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
    } catch (e) {
      db.close();
      throw keyError("journal.no_signing_key", `this browser cannot make an Ed25519 key (WebCrypto): ${e && e.message}`);
    }
    // Read again and add in one transaction: if another tab kept a key meanwhile, that one wins.
    kept = await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, "readwrite");
      const store = tx.objectStore(STORE);
      let result;
      store.get("till").onsuccess = (e) => {
        result = e.target.result;
        if (!result) {
          result = pair;
          store.add(pair, "till");
        }
      };
      tx.oncomplete = () => resolve(result);
      tx.onerror = tx.onabort = () => reject(keyError("journal.key_store", `the key cannot be kept: ${tx.error && tx.error.message}`));
    });
  }
  db.close();
  const publicKey = new Uint8Array(await crypto.subtle.exportKey("raw", kept.publicKey));
  return {
    publicKey,
    async sign(message) {
      return new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, kept.privateKey, message));
    },
  };
}
