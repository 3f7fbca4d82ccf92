// The PostgreSQL server the tests share (CROUS_TILL_POSTGRES_URL: scripts/test.sh's node-addon
// step starts a throwaway one on loopback with scripts/start-postgres.sh); a database per test.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";

let databases = 0;

/** A fresh, empty database on the server; its URL, as a till's store location. */
export function freshDatabase() {
  const server = process.env.CROUS_TILL_POSTGRES_URL;
  assert.ok(server, "CROUS_TILL_POSTGRES_URL names the PostgreSQL server (scripts/start-postgres.sh)");
  databases += 1;
  const name = `crous_till_${process.pid}_${databases}`;
  execFileSync("psql", [server, "-q", "-c", `CREATE DATABASE ${name}`]);
  return server.replace(/\/[^/]*$/, `/${name}`);
}

/** The rows of `sql`, each as its columns joined by commas. */
export function psql(url, sql) {
  return execFileSync("psql", [url, "-At", "-F", ",", "-c", sql], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
}
