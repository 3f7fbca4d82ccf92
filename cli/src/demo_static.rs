//! The demo's static files: the till page (`web-demo/` at `/web-demo/`) and the browser package
//! (`wasm/pkg` at `/pkg/`), with the MIME types a browser needs for ES modules and
//! `WebAssembly.instantiateStreaming` (`text/javascript`, `application/wasm`). Never cached, so
//! a rebuilt package shows on the next reload.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;

pub fn routes(root: PathBuf) -> Router {
    let web = Arc::new(root.join("web-demo"));
    let pkg = Arc::new(root.join("wasm/pkg"));
    let web_index = web.clone();
    Router::new()
        .route("/", get(|| async { Redirect::to("/web-demo/") }))
        .route("/web-demo", get(|| async { Redirect::to("/web-demo/") }))
        .route("/web-demo/", get(move || serve(web_index.clone(), "index.html".to_owned())))
        .route("/web-demo/{*path}", get(move |Path(p): Path<String>| serve(web.clone(), p)))
        .route("/pkg/{*path}", get(move |Path(p): Path<String>| serve(pkg.clone(), p)))
}

async fn serve(dir: Arc<PathBuf>, relative: String) -> Response {
    let Some(path) = inside(&dir, &relative) else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    match tokio::fs::read(&path).await {
        Ok(bytes) => {
            ([(header::CONTENT_TYPE, mime(&path)), (header::CACHE_CONTROL, "no-store")], bytes).into_response()
        }
        Err(_) => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

/// `dir/relative` when every component is a plain name (no `..`, `.`, empty or hidden part).
fn inside(dir: &FsPath, relative: &str) -> Option<PathBuf> {
    let mut path = dir.to_path_buf();
    for part in relative.split('/') {
        if part.is_empty() || part.starts_with('.') || part.contains('\\') {
            return None;
        }
        path.push(part);
    }
    Some(path)
}

fn mime(path: &FsPath) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "text/plain; charset=utf-8",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_inside_the_folder() {
        let dir = FsPath::new("/srv/web");
        assert_eq!(inside(dir, "js/till.js"), Some(PathBuf::from("/srv/web/js/till.js")));
        for bad in ["../etc/passwd", "js/../../x", "./a", ".git/config", "a//b", "", "a\\b"] {
            assert_eq!(inside(dir, bad), None, "{bad}");
        }
    }

    #[test]
    fn wasm_and_modules_get_the_types_browsers_require() {
        assert_eq!(mime(FsPath::new("crous_till_bg.wasm")), "application/wasm");
        assert_eq!(mime(FsPath::new("crous_till.js")), "text/javascript; charset=utf-8");
    }
}
