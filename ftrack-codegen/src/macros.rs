//! The macros' logic, called by the entry points of ftrack-derive: parse the
//! input, load the schema, check, emit. Errors become `compile_error!`
//! tokens, every one collected, each on the closest token.

use ftrack_query::ParseOptions;
use proc_macro2::TokenStream;
use quote::quote;

use crate::check::{check_model, check_projection, check_query};
use crate::emit::{emit_entities, emit_projection, emit_query};
use crate::load::{load, load_file};
use crate::names::is_type_name;
use crate::parse::{parse_projection, parse_schema, QueryInput, SchemaInput, SchemaOptions};

/// The schema that `query!` and `derive(Projection)` check against when the
/// caller names none: its text, embedded in ftrack-derive, and its file
/// name for messages.
#[derive(Debug, Clone, Copy)]
pub struct Shipped {
    /// The YAML text.
    pub text: &'static str,
    /// The file it came from, as messages name it.
    pub file: &'static str,
}

/// `query!(...)`: a `Query<T>` expression from query text checked against
/// the schema, or the errors.
pub fn expand_query(input: TokenStream, shipped: &Shipped) -> TokenStream {
    query(input, shipped).unwrap_or_else(|error| expression_errors(&error))
}

/// Every error as `compile_error!` in one expression, so that several
/// errors stand where `query!` expects a value.
fn expression_errors(error: &syn::Error) -> TokenStream {
    let mut errors: Vec<TokenStream> = error
        .clone()
        .into_iter()
        .map(|e| e.to_compile_error())
        .collect();
    let last = errors.pop();
    quote!({ #((#errors);)* (#last) })
}

fn query(input: TokenStream, shipped: &Shipped) -> syn::Result<TokenStream> {
    let input: QueryInput = syn::parse2(input)?;
    let span = input.text.span();
    let loaded = load(&input.options.schema, shipped, span)?;

    let text = input.text.value();
    let query = ftrack_query::parse_with(&text, ParseOptions { placeholders: true })
        .map_err(|error| syn::Error::new(span, error.to_string()))?;
    check_query(&loaded.schema, &query, &input.text)?;
    if !is_type_name(&query.entity_type.name) {
        return Err(syn::Error::new(
            span,
            format!(
                "entity type `{}` has no Rust type: its name is not a Rust identifier",
                query.entity_type.name
            ),
        ));
    }

    let entities = entities_path(&input.options);
    Ok(emit_query(
        &loaded.schema,
        &query,
        &entities,
        span,
        loaded.track.as_deref(),
    ))
}

/// `schema!("studio.yaml")`: the typed layer of a crate's own schema.
pub fn expand_schema(input: TokenStream) -> TokenStream {
    schema(input).unwrap_or_else(|error| error.to_compile_error())
}

fn schema(input: TokenStream) -> syn::Result<TokenStream> {
    let input: SchemaInput = syn::parse2(input)?;
    let loaded = load_file(&input.file)?;

    let model = parse_schema(&loaded.schema);
    if let Err(problems) = check_model(&model) {
        let errors = problems
            .into_iter()
            .map(|problem| syn::Error::new(input.file.span(), problem))
            .collect();
        return Err(crate::parse::combine(errors).expect("BUG: a failed check has problems"));
    }
    let entities = emit_entities(&model);
    let track = loaded.track.map(|file| {
        quote!(
            const _: &[u8] = ::core::include_bytes!(#file);
        )
    });
    Ok(quote! {
        #track
        #entities
    })
}

/// `derive(Projection)`: the `Projection` impl of a struct whose fields are
/// attribute paths.
pub fn expand_projection(input: TokenStream, shipped: &Shipped) -> TokenStream {
    projection(input, shipped).unwrap_or_else(|error| error.to_compile_error())
}

fn projection(input: TokenStream, shipped: &Shipped) -> syn::Result<TokenStream> {
    let input: syn::DeriveInput = syn::parse2(input)?;
    let parsed = parse_projection(&input)?;
    let loaded = load(&parsed.options.schema, shipped, parsed.entity_type.span())?;

    let fields = check_projection(&loaded.schema, &parsed)?;
    let entities = entities_path(&parsed.options);
    let implementation = emit_projection(&parsed, &fields, &entities);
    let track = loaded.track.map(|file| {
        quote!(
            const _: &[u8] = ::core::include_bytes!(#file);
        )
    });
    Ok(quote! {
        #track
        #implementation
    })
}

/// Where the entity types are: `::ftrack::entities` for the shipped schema.
fn entities_path(options: &SchemaOptions) -> TokenStream {
    match &options.entities {
        Some(path) => quote!(#path),
        None => quote!(::ftrack::entities),
    }
}
