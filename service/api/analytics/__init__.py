"""Analytics: the scores `alliance analyze` writes back (centrality, communities, brokers) and the
coverage gaps computed live."""
