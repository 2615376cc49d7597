//! One wire format: what the server answers and what the command line prints as JSON conform
//! to the schemas `/openapi.json` describes, and every property a schema names is one the
//! answers can carry.

use serde_json::{Value, json};

use crate::serve::{Server, corpus_and_index};
use crate::support::{json_lines, locsearch};

/// Whether `value` conforms to `schema` (OpenAPI 3.0, as the server generates it): every
/// property of an object is declared, every required one present, types match.
fn conforms(value: &Value, schema: &Value, schemas: &Value, at: &str) -> Result<(), String> {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        let target = &schemas[name];
        if target.is_null() {
            return Err(format!("{at}: $ref to unknown schema {name}"));
        }
        return conforms(value, target, schemas, at);
    }
    if value.is_null() && schema["nullable"] == true {
        return Ok(());
    }
    for all in schema["allOf"].as_array().into_iter().flatten() {
        conforms(value, all, schemas, at)?;
    }
    if let Some(any) = schema["anyOf"].as_array().or(schema["oneOf"].as_array())
        && !any.iter().any(|s| conforms(value, s, schemas, at).is_ok())
    {
        return Err(format!("{at}: {value} matches no alternative"));
    }
    let typed = |ok: bool| {
        if ok {
            Ok(())
        } else {
            Err(format!("{at}: {value} is not {schema}"))
        }
    };
    match schema["type"].as_str() {
        Some("object") => {
            let properties = schema["properties"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            let object = value.as_object().ok_or(format!("{at}: not an object"))?;
            for required in schema["required"].as_array().into_iter().flatten() {
                let name = required.as_str().unwrap_or_default();
                if !object.contains_key(name) {
                    return Err(format!("{at}: required {name} missing"));
                }
            }
            for (name, item) in object {
                let declared = properties
                    .get(name)
                    .ok_or(format!("{at}: {name} is not in the schema"))?;
                conforms(item, declared, schemas, &format!("{at}.{name}"))?;
            }
            Ok(())
        }
        Some("array") => {
            let items = value.as_array().ok_or(format!("{at}: not an array"))?;
            for (i, item) in items.iter().enumerate() {
                conforms(item, &schema["items"], schemas, &format!("{at}[{i}]"))?;
            }
            Ok(())
        }
        Some("string") => typed(value.is_string()),
        Some("integer") => typed(value.is_u64() || value.is_i64()),
        Some("number") => typed(value.is_number()),
        Some("boolean") => typed(value.is_boolean()),
        _ => Ok(()),
    }
}

fn assert_conforms(value: &Value, schema_name: &str, spec: &Value) {
    let schemas = &spec["components"]["schemas"];
    let schema = json!({ "$ref": format!("#/components/schemas/{schema_name}") });
    if let Err(why) = conforms(value, &schema, schemas, schema_name) {
        panic!("{why}\n in {value}");
    }
}

#[test]
fn server_and_command_line_answers_match_the_api_description() {
    let dir = tempfile::tempdir().unwrap();
    let (_, index) = corpus_and_index(dir.path());
    let server = Server::start(&index);
    let (status, spec) = server.get("/openapi.json");
    assert_eq!(status, 200);
    let answers =
        json!({ "type": "array", "items": { "$ref": "#/components/schemas/BatchAnswer" } });
    let schemas = &spec["components"]["schemas"];

    // The bounds the schema states are the ones the server enforces.
    let limit = &schemas["Query"]["properties"]["limit"];
    let max = limit["maximum"].as_u64().expect("limit has a maximum");
    assert_eq!(server.get(&format!("/search?q=gumb&limit={max}")).0, 200);
    assert_eq!(
        server.get(&format!("/search?q=gumb&limit={}", max + 1)).0,
        400
    );
    let names: Vec<&str> = spec["paths"]["/search"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["explain", "lang", "limit", "query", "segments", "snippets"]
    );

    for query in [
        "/search?query=greyed-out%20reset%20button",
        "/search?q=gumb&lang=sl-SI&segments=true",
        "/search?q=%E6%8C%89%E9%92%AE&snippets=false",
        "/search?q=pasword%20reset%20buton&explain=true",
    ] {
        let (status, body) = server.get(query);
        assert_eq!(status, 200, "{query}");
        assert!(!body["hits"].as_array().unwrap().is_empty(), "{query}");
        assert_conforms(&body, "SearchAnswer", &spec);
    }
    let (_, explained) = server.get("/search?q=pasword%20reset%20buton&explain=true");
    assert_eq!(explained["corrected"], "password reset button");
    assert!(!explained["expansions"].as_array().unwrap().is_empty());
    // An English auxiliary is told as not searched, on every side that dropped it.
    let (_, explained) = server.get("/search?q=reset%20button%20does%20not%20work&explain=true");
    assert_conforms(&explained, "SearchAnswer", &spec);
    let searched = explained["searched"].as_array().unwrap();
    assert!(!searched.is_empty(), "{explained}");
    for side in searched {
        assert_eq!(side["auxiliaries"], json!(["does"]), "{explained}");
    }
    // And the English side reads it as saying something does not work.
    let english = searched.iter().filter(|s| s["side"] != "target");
    assert!(
        english.clone().count() > 0 && english.clone().all(|s| s["negated"] == true),
        "{explained}"
    );
    let (_, explained) = server.get("/search?q=reset%20button&explain=true");
    for side in explained["searched"].as_array().unwrap() {
        assert_eq!(side["negated"], false, "{explained}");
    }
    let batch = json!({"queries": [
        {"qid": 1, "query": "greyed-out reset button"},
        {"qid": "two", "q": "   "},
        {"qid": null, "q": "gumb", "lang": "sl-SI", "limit": 1, "segments": true}
    ]});
    let (status, body) = server.post("/batch", &batch);
    assert_eq!(status, 200);
    assert!(
        conforms(&body, &answers, schemas, "batch").is_ok(),
        "{body}"
    );
    let (_, article) =
        server.get("/articles/sl-SI/AlchemyInsights/password-reset-button-greyed-out.md");
    assert_conforms(&article, "ArticleView", &spec);

    // The command line speaks the same format: a batch line is a BatchQuery, each answer a
    // BatchAnswer, and a hit of `search --json` a Hit.
    let input = dir.path().join("queries.jsonl");
    std::fs::write(
        &input,
        "{\"qid\": 1, \"query\": \"greyed-out reset button\", \"segments\": true}\n{\"qid\": 2, \"q\": \"gumb\", \"lang\": \"any\"}\n{\"qid\": 3}\n",
    )
    .unwrap();
    let index_arg = index.to_str().unwrap();
    let out = locsearch(
        &["batch", input.to_str().unwrap(), "--index", index_arg],
        dir.path(),
    );
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3);
    assert!(
        lines[1]["hits"].as_array().is_some_and(|h| !h.is_empty()),
        "q and lang any"
    );
    assert!(
        lines[2]["error"]
            .as_str()
            .unwrap()
            .contains("missing query")
    );
    assert!(conforms(&Value::Array(lines), &answers, schemas, "cli batch").is_ok());
    let out = locsearch(
        &["search", "gumb", "--json", "--index", index_arg],
        dir.path(),
    );
    for hit in json_lines(&out) {
        assert_conforms(&hit, "Hit", &spec);
    }
}
