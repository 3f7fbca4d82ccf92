//! The vpcd transport: a virtual card is a TCP client of the vpcd driver inside pcscd.
//!
//! shared/TOOLCHAIN.md: every message is a 2-byte big-endian length then the payload; a 1-byte
//! payload is a control code (0 power off, 1 power on, 2 reset, 4 "send your ATR", answered with
//! the ATR); a longer payload is a command APDU, answered with the response APDU. Closing the
//! socket is a card removal. Only 127.0.0.1 is used (vpcd itself listens on all interfaces).

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::VirtualCard;

/// vpcd's first slot, "Virtual PCD 00 00": the card reader.
pub const CARD_PORT: u16 = 35963;
/// vpcd's second slot, "Virtual PCD 00 01": the SAM reader.
pub const SAM_PORT: u16 = 35964;
pub const CARD_READER: &str = "Virtual PCD 00 00";
pub const SAM_READER: &str = "Virtual PCD 00 01";

/// A test fault: the card leaves the field when it receives a command starting with `prefix`
/// (before answering it), as a card pulled out mid-read.
#[derive(Debug, Clone, Default)]
pub struct Fault {
    pub pull_on_prefix: Option<Vec<u8>>,
}

/// A virtual card in a vpcd slot. Dropping it (or [`Inserted::remove`]) removes the card.
pub struct Inserted {
    stream: TcpStream,
    thread: Option<JoinHandle<()>>,
    apdus: Arc<AtomicUsize>,
}

impl Inserted {
    /// Inserts `card` into the vpcd slot on 127.0.0.1:`port`, retrying until `timeout` while vpcd
    /// is not listening yet (pcscd starting).
    pub fn insert(port: u16, card: Box<dyn VirtualCard>, fault: Fault, timeout: Duration) -> io::Result<Self> {
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + timeout;
        let stream = loop {
            match TcpStream::connect_timeout(&addr, Duration::from_secs(1)) {
                Ok(stream) => break stream,
                Err(e) if Instant::now() >= deadline => return Err(e),
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        };
        stream.set_nodelay(true)?;
        let apdus = Arc::new(AtomicUsize::new(0));
        let worker = stream.try_clone()?;
        let counter = apdus.clone();
        let thread = std::thread::Builder::new()
            .name(format!("vpcd-card-{port}"))
            .spawn(move || serve(worker, card, fault, counter))?;
        Ok(Self { stream, thread: Some(thread), apdus })
    }

    /// Command APDUs the card has received so far.
    pub fn apdu_count(&self) -> usize {
        self.apdus.load(Ordering::SeqCst)
    }

    /// Whether the card is still in the slot (false after a fault pulled it).
    pub fn is_present(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }

    /// Removes the card (closes the socket) and waits for its thread.
    pub fn remove(mut self) {
        self.close();
    }

    fn close(&mut self) {
        let _ = self.stream.shutdown(Shutdown::Both);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Inserted {
    fn drop(&mut self) {
        self.close();
    }
}

fn serve(mut stream: TcpStream, mut card: Box<dyn VirtualCard>, fault: Fault, apdus: Arc<AtomicUsize>) {
    let _ = (|| -> io::Result<()> {
        loop {
            let mut len = [0u8; 2];
            stream.read_exact(&mut len)?;
            let mut payload = vec![0u8; u16::from_be_bytes(len) as usize];
            stream.read_exact(&mut payload)?;
            let answer = match payload.as_slice() {
                [0] | [1] | [2] => {
                    card.reset();
                    continue;
                }
                [4] => card.atr(),
                [_] => continue,
                apdu => {
                    apdus.fetch_add(1, Ordering::SeqCst);
                    if fault.pull_on_prefix.as_ref().is_some_and(|p| apdu.starts_with(p)) {
                        return Ok(());
                    }
                    card.process(apdu)
                }
            };
            let mut frame = (answer.len() as u16).to_be_bytes().to_vec();
            frame.extend_from_slice(&answer);
            stream.write_all(&frame)?;
        }
    })();
    let _ = stream.shutdown(Shutdown::Both);
}
