//! Reader of Microsoft Graph reference pages (placeholder).
