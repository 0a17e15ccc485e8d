# OBL-011 valid: A mention's evidence after a curly apostrophe and a dash: offsets count code points.
# Applied to base.trig; see manifest.ttl for the expected report.
PREFIX obl: <https://w3id.org/obligraph/ns#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX modality: <https://w3id.org/obligraph/ns/modality/>
PREFIX role: <https://w3id.org/obligraph/ns/role/>
PREFIX kind: <https://w3id.org/obligraph/ns/kind/>
PREFIX text: <https://w3id.org/obligraph/id/text/>
BASE <https://w3id.org/obligraph/id/>

INSERT DATA { GRAPH <https://w3id.org/obligraph/graph/doc/demo> {
    <doc/demo/c/c3> obl:mention <doc/demo/c/c3/mention/owner/health-education-england> .
    <doc/demo/c/c3/mention/owner/health-education-england> a obl:PartyMention ; obl:role role:owner ;
        obl:refersTo <party/health-education-england> ; obl:inferred false ; obl:rule "R-subject" ;
        obl:evidence <doc/demo/c/c3/mention/owner/health-education-england/evidence> .
    <doc/demo/c/c3/mention/owner/health-education-england/evidence> a oa:SpecificResource ;
        oa:hasSource text:92f2abce703459b9dc6834cb5507c46dd24d88cf01bc0b7133549ea4607fe403 ;
        oa:hasSelector <doc/demo/c/c3/mention/owner/health-education-england/evidence/position>,
            <doc/demo/c/c3/mention/owner/health-education-england/evidence/quote> .
    <doc/demo/c/c3/mention/owner/health-education-england/evidence/position> a oa:TextPositionSelector ; oa:start 331 ; oa:end 355 .
    <doc/demo/c/c3/mention/owner/health-education-england/evidence/quote> a oa:TextQuoteSelector ; oa:exact "Health Education England" .
} }
