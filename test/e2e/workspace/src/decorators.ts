// Hover the decorator below: Pattern Lens explains it.

function logged<This, Args extends unknown[], Return>(
  method: (this: This, ...args: Args) => Return,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
) {
  return function (this: This, ...args: Args): Return {
    console.log(`-> ${String(context.name)}`);
    return method.call(this, ...args);
  };
}

export class Greeter {
  @logged
  greet(name: string): string {
    return `Hello, ${name}`;
  }
}
