# OBL-001 broken: A commitment with no owner.
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

DELETE DATA { GRAPH <https://w3id.org/obligraph/graph/doc/demo> { <doc/demo/c/c5> obl:owner <party/department-of-health>, <party/london-partners> } }
