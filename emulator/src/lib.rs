//! A local Graph emulator (see issue: runtime client and emulator).
