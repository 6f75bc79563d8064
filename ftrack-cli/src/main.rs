//! The `ftrack` command.

fn main() {}
