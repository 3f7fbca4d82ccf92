//! `crous-till sandbox`: prints its base URL on 127.0.0.1, serves the fixtures, refuses bad ones.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_crous-till"))
}

#[test]
fn serves_on_loopback_and_prints_the_base_url() {
    let data = std::env::temp_dir().join(format!("crous-till-cli-sandbox-{}", std::process::id()));
    let mut child = bin()
        .args(["sandbox", "--port", "0", "--data"])
        .arg(&data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.trim().to_owned();
    let addr = base.strip_prefix("http://").expect("an http base URL").to_owned();
    assert!(addr.starts_with("127.0.0.1:"), "{base}");
    let mut s = TcpStream::connect(&addr).unwrap();
    write!(s, "GET /sandbox/fixtures HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&data);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("installation_key"), "{answer}");
}

#[test]
fn refuses_unreadable_fixtures() {
    let file = std::env::temp_dir().join(format!("crous-till-cli-bad-fixtures-{}.json", std::process::id()));
    std::fs::write(&file, "{\"crous\": 1}").unwrap();
    let out = bin().args(["sandbox", "--port", "0", "--fixtures"]).arg(&file).output().unwrap();
    let _ = std::fs::remove_file(&file);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("fixtures"));
}
