// The snippet scenario types into the empty function below.

export function withResource(): void {
  
}
