//! Errors as the API returns them: a status and `{"error": message}`, never the
//! command-line advice a client cannot act on.

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use locsearch_query::QueryError;

/// An error's message without the command-line advice after `hint:`: an API client cannot
/// act on "leave out --lang" or "run locsearch index".
pub(crate) fn without_hint(e: &dyn std::fmt::Display) -> String {
    let text = e.to_string();
    match text.find("\n  hint:") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// An error as the API returns it: a status and `{"error": message}`.
#[derive(Debug)]
pub struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
}

impl ApiError {
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }
    pub(crate) fn unavailable(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            message: message.into(),
        }
    }
}

impl From<QueryError> for ApiError {
    fn from(e: QueryError) -> Self {
        let status = match &e {
            QueryError::BadQuery(_) | QueryError::AmbiguousLocale { .. } => StatusCode::BAD_REQUEST,
            QueryError::UnknownLocale { .. } => StatusCode::NOT_FOUND,
            QueryError::Index(_) | QueryError::Engine { .. } | QueryError::TimedOut => {
                StatusCode::SERVICE_UNAVAILABLE
            }
        };
        let message = match &e {
            QueryError::UnknownLocale { locale, available } => {
                format!(
                    "unknown locale {locale}: this index has {available}; omit lang to search every locale"
                )
            }
            QueryError::AmbiguousLocale { locale, candidates } => {
                format!(
                    "{locale} is the language of several locales of this index: {candidates}; give one of them as lang"
                )
            }
            _ => without_hint(&e),
        };
        ApiError { status, message }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(serde_json::json!({ "error": self.message })),
        )
            .into_response()
    }
}

pub(crate) fn json_rejection(e: axum::extract::rejection::JsonRejection) -> ApiError {
    ApiError {
        status: e.status(),
        message: e.body_text(),
    }
}

/// An error answer whose body is not JSON gets `{"error": …}` with its text (or the status's
/// reason when it has none).
pub(crate) async fn as_json_error(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&text).trim().to_owned();
    let message = if text.is_empty() {
        status.canonical_reason().unwrap_or("error").to_owned()
    } else {
        text
    };
    let mut json = ApiError { status, message }.into_response();
    // Keep what the original answer said beyond its body (`allow` on a 405).
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            json.headers_mut().insert(name.clone(), value.clone());
        }
    }
    json
}
