//! `crous-till demo --port 0 --no-open`: one origin serving the page, the sandbox and `/demo/`,
//! with the right MIME types and nothing outside its folders; the card bridge open to that origin
//! only. (The pages themselves are driven in Chromium by tests/browser/.)

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

struct Demo {
    child: Child,
    /// `127.0.0.1:<port>`
    addr: String,
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Demo {
    let mut child = Command::new(env!("CARGO_BIN_EXE_crous-till"))
        .args(["demo", "--port", "0", "--no-open"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim();
    assert!(url.ends_with("/web-demo/"), "{url}");
    let addr = url.strip_prefix("http://").and_then(|u| u.strip_suffix("/web-demo/")).expect("a page URL").to_owned();
    assert!(addr.starts_with("127.0.0.1:"), "{url}");
    Demo { child, addr }
}

/// Raw HTTP/1.1 so that the test owns every header (Origin, Upgrade).
fn request(addr: &str, head: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "{head}Host: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    answer
}

/// A WebSocket upgrade from `origin`: the answer's status line (a 101 keeps the socket open, so
/// only the head is read).
fn upgrade_status(addr: &str, origin: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET / HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: {origin}\r\n\r\n"
    )
    .unwrap();
    let mut line = String::new();
    BufReader::new(s).read_line(&mut line).unwrap();
    line.trim().to_owned()
}

fn get(addr: &str, path: &str) -> String {
    request(addr, &format!("GET {path} HTTP/1.1\r\n"))
}

fn header<'a>(answer: &'a str, name: &str) -> Option<&'a str> {
    answer.lines().take_while(|l| !l.is_empty()).find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn body(answer: &str) -> &str {
    answer.split_once("\r\n\r\n").map_or("", |(_, b)| b)
}

#[test]
fn one_origin_serves_the_page_the_sandbox_and_the_demo_back_end() {
    let demo = start();
    let page = get(&demo.addr, "/web-demo/");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert_eq!(header(&page, "content-type"), Some("text/html; charset=utf-8"));
    let module = get(&demo.addr, "/web-demo/js/till.js");
    assert_eq!(header(&module, "content-type"), Some("text/javascript; charset=utf-8"), "{module}");
    assert!(get(&demo.addr, "/").starts_with("HTTP/1.1 303"));
    for outside in
        ["/web-demo/../Cargo.toml", "/web-demo/%2e%2e/Cargo.toml", "/pkg/../../Cargo.toml", "/web-demo/nope.js"]
    {
        let answer = get(&demo.addr, outside);
        assert!(answer.starts_with("HTTP/1.1 404"), "{outside}: {answer}");
    }
    assert!(get(&demo.addr, "/sandbox/fixtures").contains("installation_key"));

    let config: serde_json::Value = serde_json::from_str(body(&get(&demo.addr, "/demo/config"))).unwrap();
    assert_eq!(config["pointOfSale"], "5-1-9-8-14");
    assert_eq!(config["crousBaseUrl"], format!("http://{}", demo.addr));
    assert!(config["bridgeUrl"].as_str().unwrap().starts_with("ws://127.0.0.1:"));
    assert!(config["esipayUuid"].is_string());
}

#[test]
fn the_shop_login_goes_to_izlyconnect_with_a_state_and_a_forged_return_is_refused() {
    let demo = start();
    let login = get(&demo.addr, "/demo/shop/login");
    assert!(login.starts_with("HTTP/1.1 303"), "{login}");
    let location = header(&login, "location").unwrap();
    assert!(
        location.starts_with(&format!("http://{}/oauth/Home/Authorize?response_type=code", demo.addr)),
        "{location}"
    );
    assert!(location.contains("&state="), "{location}");
    let forged = get(&demo.addr, "/demo/shop/connect-return?code=abc&state=forged");
    assert_eq!(header(&forged, "location"), Some("/web-demo/shop.html?error=shop.login_state_mismatch"));
    let anonymous = get(&demo.addr, "/demo/shop/payments/DEMO-1");
    assert!(anonymous.starts_with("HTTP/1.1 401"), "{anonymous}");
}

#[test]
fn the_card_bridge_accepts_the_page_origin_only() {
    let demo = start();
    let config: serde_json::Value = serde_json::from_str(body(&get(&demo.addr, "/demo/config"))).unwrap();
    let bridge = config["bridgeUrl"].as_str().unwrap().strip_prefix("ws://").unwrap().to_owned();
    assert!(upgrade_status(&bridge, &format!("http://{}", demo.addr)).starts_with("HTTP/1.1 101"));
    assert!(upgrade_status(&bridge, "http://127.0.0.1:1").starts_with("HTTP/1.1 403"));
    assert!(upgrade_status(&bridge, "https://evil.example").starts_with("HTTP/1.1 403"));
}
