//! IzlyConnect's routes, as specs 002 prints them (`https://rest-pp.izly.fr/oauth/Home/Authorize?…`).

/// The page the partner sends the user's browser to (specs 002).
pub const PATH_AUTHORIZE: &str = "/oauth/Home/Authorize";
/// The code and refresh exchanges (specs 002: `grant_type=authorization_code` and `refresh_token`).
pub const PATH_TOKEN: &str = "/oauth/Home/Token";
/// The connected user (specs 002: `GET …/api/izly/users`).
pub const PATH_USERS: &str = "/api/izly/users";
