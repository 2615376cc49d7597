//! What every request and answer passes through: the Host check that keeps a loopback server
//! from web pages elsewhere, the size limits, and a JSON body for every error.

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, as_json_error};
use crate::{MAX_HEADER_BYTES, MAX_URI_BYTES};

#[derive(Clone, Copy)]
pub(crate) struct Guard {
    /// Bound to loopback: only requests addressed to this machine by name are answered, so a
    /// web page on another site cannot reach the server through DNS rebinding.
    pub(crate) loopback_only: bool,
}

/// Every request and answer passes here: the Host check, the size limits, `nosniff`, and a
/// JSON body for every error (axum's own 400/405 have plain or empty ones).
pub(crate) async fn guard(State(guard): State<Guard>, request: Request, next: Next) -> Response {
    let refused = if guard.loopback_only && !is_local_host(request.headers()) {
        Some(ApiError {
            status: StatusCode::FORBIDDEN,
            message: "this server answers requests addressed to localhost only".into(),
        })
    } else if request.uri().to_string().len() > MAX_URI_BYTES {
        Some(ApiError {
            status: StatusCode::URI_TOO_LONG,
            message: format!("request target over {MAX_URI_BYTES} bytes; POST long queries"),
        })
    } else if header_bytes(request.headers()) > MAX_HEADER_BYTES {
        Some(ApiError {
            status: StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            message: format!("headers over {MAX_HEADER_BYTES} bytes"),
        })
    } else {
        None
    };
    let mut response = match refused {
        Some(error) => error.into_response(),
        None => as_json_error(next.run(request).await).await,
    };
    response.headers_mut().insert(
        header::HeaderName::from_static("x-content-type-options"),
        header::HeaderValue::from_static("nosniff"),
    );
    response
}

fn is_local_host(headers: &axum::http::HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        // HTTP/1.0 without Host: nothing a browser would send.
        return true;
    };
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    matches!(
        name.to_ascii_lowercase().as_str(),
        "localhost" | "127.0.0.1" | "::1"
    )
}

fn header_bytes(headers: &axum::http::HeaderMap) -> usize {
    headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum()
}
