// Names and titles for search. The cjk analyzer indexes Chinese as overlapping bigrams, so
// '红山' finds '红山社区党委'. Member names are personal data and deliberately not indexed.
CREATE FULLTEXT INDEX names IF NOT EXISTS
FOR (n:Region|Organisation|Enterprise|Alliance|Agreement|ListItem|Team|ServiceCentre)
ON EACH [n.name, n.title]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk', `fulltext.eventually_consistent`: false}};
