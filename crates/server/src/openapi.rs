//! The API description served at `/openapi.json`: the paths are written by hand in
//! `assets/openapi.json`; the schemas of requests and answers are generated from the wire
//! types (`locsearch_query::wire`), and so are `GET /search`'s parameters, so the description
//! cannot drift from what the server accepts and returns.

use locsearch_query::{ArticleView, BatchAnswer, BatchRequest, Query, SearchAnswer};
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value, json};

const TEMPLATE: &str = include_str!("../assets/openapi.json");

/// The whole description.
pub fn document() -> Value {
    let mut doc: Value = serde_json::from_str(TEMPLATE).expect("assets/openapi.json is JSON");
    let schemas = schemas();
    doc["paths"]["/search"]["get"]["parameters"] = Value::Array(query_parameters(&schemas));
    doc["components"]["schemas"] = Value::Object(schemas);
    doc
}

/// Every wire type, by name, as OpenAPI 3.0 schemas referring to each other.
fn schemas() -> Map<String, Value> {
    let mut generator = SchemaSettings::openapi3().into_generator();
    generator.subschema_for::<Query>();
    generator.subschema_for::<SearchAnswer>();
    generator.subschema_for::<BatchRequest>();
    generator.subschema_for::<BatchAnswer>();
    generator.subschema_for::<ArticleView>();
    generator.take_definitions(true)
}

/// `GET /search`'s parameters: the properties of [`Query`].
fn query_parameters(schemas: &Map<String, Value>) -> Vec<Value> {
    let properties = schemas["Query"]["properties"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    properties
        .into_iter()
        .map(|(name, mut schema)| {
            let description = schema
                .as_object_mut()
                .and_then(|s| s.remove("description"))
                .unwrap_or(Value::Null);
            json!({
                "name": name,
                "in": "query",
                "required": name == "query",
                "description": description,
                "schema": schema,
            })
        })
        .collect()
}
