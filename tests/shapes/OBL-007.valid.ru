# OBL-007 valid: The answered commitment is typed with a subclass of obl:Commitment (and still checked by every commitment rule).
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

INSERT DATA { GRAPH <https://w3id.org/obligraph/graph/ontology> { <https://example.org/ns#PilotCommitment> rdfs:subClassOf obl:Commitment } } ;
DELETE DATA { GRAPH <https://w3id.org/obligraph/graph/doc/demo> { <doc/demo/c/c1> a obl:Commitment } } ;
INSERT DATA { GRAPH <https://w3id.org/obligraph/graph/doc/demo> { <doc/demo/c/c1> a <https://example.org/ns#PilotCommitment> } }
