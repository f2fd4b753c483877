//! The BSP Console server process: configuration, start-up, plain HTTP routes, email,
//! background jobs and the operator CLI. Business rules live in the `app` crate.

pub mod cli;
pub mod config;
pub mod email;
pub mod exports;
pub mod hedge;
pub mod http;
pub mod jobs;
pub mod rest;
pub mod serve;
pub mod sso;
pub mod startup;
pub mod stripe;
pub mod telemetry;
pub mod uploads;
pub mod webhook;
