FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY service ./service
COPY loaders ./loaders
COPY cypher ./cypher
COPY tools ./tools
# Editable install: the statements in cypher/ are read from beside the package.
RUN pip install --no-cache-dir -e .
EXPOSE 8000
CMD ["alliance", "serve", "--host", "0.0.0.0", "--port", "8000"]
