"""Lists (三张清单): needs, resources and projects units publish, and the claims on them."""
