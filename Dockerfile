FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY service ./service
COPY loaders ./loaders
# A plain install: the Cypher statements are package data (service/cypher), inside the wheel.
RUN pip install --no-cache-dir . \
    && useradd --system --uid 10001 --home-dir /app alliance
USER alliance
EXPOSE 8000
CMD ["alliance", "serve", "--host", "0.0.0.0", "--port", "8000"]
