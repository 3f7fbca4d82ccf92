//! IzlyConnect (specs 002): the authorize URL, code → token, refresh, and the user's details.

use crate::client::{call, environment, retry_executor, RetryOptions};
use crate::js::{from_js, promise, sync, to_js, Failure};
use crous_till_core::api::executor::NativeExecutor;
use crous_till_core::api::izly_connect::{
    parse_token, parse_users, AccessToken, IzlyApiKey, IzlyConnectApi, RefreshToken, TokenResponse,
};
use napi::bindgen_prelude::{PromiseRaw, Unknown};
use napi::Env;
use napi_derive::napi;
use serde::Serialize;
use serde_json::Value;

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IzlyConnectOptions {
    /// `"preprod"`, `"prod"` or a base URL (the sandbox's).
    pub environment: String,
    /// `client_id` of the partner (the spec's "Aix Marseille-777-...").
    pub client_id: String,
    /// The partner's key, sent as `Authorization: Basic <key>`.
    pub api_key: String,
    pub retry: Option<RetryOptions>,
}

/// The token answer, with the OAuth names of the wire.
#[derive(Serialize)]
struct Token<'a> {
    access_token: &'a str,
    token_type: &'a str,
    expires_in: u64,
    refresh_token: Option<&'a str>,
    scope: Option<&'a str>,
}

fn token(t: &TokenResponse) -> Token<'_> {
    Token {
        access_token: t.access_token.expose(),
        token_type: &t.token_type,
        expires_in: t.expires_in,
        refresh_token: t.refresh_token.as_ref().map(|r| r.expose()),
        scope: t.scope.as_deref(),
    }
}

/// An IzlyConnect partner: logs a user in and reads who they are.
#[napi]
pub struct IzlyConnect {
    api: IzlyConnectApi,
    executor: NativeExecutor,
}

#[napi]
impl IzlyConnect {
    #[napi(constructor, ts_args_type = "options: IzlyConnectOptions")]
    pub fn new(env: Env, options: Unknown) -> napi::Result<Self> {
        let options: IzlyConnectOptions = sync(&env, from_js(&env, options, "options"))?;
        let made = environment(&options.environment)
            .and_then(|e| {
                IzlyConnectApi::new(&e, options.client_id, IzlyApiKey::new(options.api_key))
                    .map_err(|e| Failure::of(&e))
            })
            .and_then(|api| Ok(IzlyConnect { api, executor: retry_executor(options.retry.as_ref())? }));
        sync(&env, made)
    }

    /// The URL to send the user's browser to (`response_type=code`); `scope` as the partner was
    /// granted it (e.g. `"16385"`), `state` echoed back to the redirect.
    #[napi]
    pub fn authorize_url(&self, scope: String, state: Option<String>) -> String {
        self.api.authorize_url(&scope, state.as_deref())
    }

    /// Exchanges the code of the redirect for tokens. Errors: `izly_connect.*`, `network.*`.
    #[napi(ts_return_type = "Promise<IzlyToken>")]
    pub fn token_from_code<'e>(&self, env: &'e Env, code: String) -> napi::Result<PromiseRaw<'e, Value>> {
        let (request, executor) = (self.api.token_from_code(&code), self.executor.clone());
        promise(env, async move { to_js(&token(&call(&executor, &request, parse_token).await?)) })
    }

    /// A new access token from a refresh token (the refresh token rotates: keep the new one).
    #[napi(ts_return_type = "Promise<IzlyToken>")]
    pub fn refresh<'e>(&self, env: &'e Env, refresh_token: String) -> napi::Result<PromiseRaw<'e, Value>> {
        let request = self.api.token_from_refresh(&RefreshToken::new(refresh_token));
        let executor = self.executor.clone();
        promise(env, async move { to_js(&token(&call(&executor, &request, parse_token).await?)) })
    }

    /// The user's details (`/api/izly/users`), with the wire's PascalCase names.
    #[napi(ts_return_type = "Promise<IzlyUser>")]
    pub fn user<'e>(&self, env: &'e Env, access_token: String) -> napi::Result<PromiseRaw<'e, Value>> {
        let request = self.api.users(&AccessToken::new(access_token));
        let executor = self.executor.clone();
        promise(env, async move { to_js(&call(&executor, &request, parse_users).await?) })
    }
}
