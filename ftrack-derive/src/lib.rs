//! Proc macros of the typed ftrack client: `query!`, `schema!` and
//! `derive(Projection)`.
//!
//! Use them through the `ftrack` crate (`ftrack::query!`, ...), whose
//! documentation describes them with examples; this crate holds only the
//! entry points, and ftrack-codegen the logic.
//!
//! This crate has no features. It embeds the shipped schema,
//! `schema/ftrack.yaml`, which `query!` and `derive(Projection)` check
//! against unless the caller names its own.

use proc_macro::TokenStream;

/// The shipped schema, the same file as the `ftrack` crate's build script
/// reads. Embedding it makes an edit rebuild this crate, and so expand every
/// `query!` again.
const SHIPPED: ftrack_codegen::Shipped = ftrack_codegen::Shipped {
    text: include_str!("../schema/ftrack.yaml"),
    file: "schema/ftrack.yaml",
};

/// A query checked against the schema while compiling; see `ftrack::query!`.
#[proc_macro]
pub fn query(input: TokenStream) -> TokenStream {
    ftrack_codegen::expand_query(input.into(), &SHIPPED).into()
}

/// The typed layer of a crate's own schema; see `ftrack::schema!`.
#[proc_macro]
pub fn schema(input: TokenStream) -> TokenStream {
    ftrack_codegen::expand_schema(input.into()).into()
}

/// A struct of projected attribute paths; see `ftrack::Projection`.
#[proc_macro_derive(Projection, attributes(ftrack))]
pub fn projection(input: TokenStream) -> TokenStream {
    ftrack_codegen::expand_projection(input.into(), &SHIPPED).into()
}
