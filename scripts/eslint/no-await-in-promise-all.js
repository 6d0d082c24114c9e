// An `await` among the promises given to Promise.all (or allSettled, race, any) suspends after the
// promises before it have started: if one of those rejects meanwhile, nothing handles it yet and Node
// ends the process (issue 12: `Promise.all([listLinks(…), countLinks(…, await counts())])`). Start every
// query first, then await them together.
const COMBINATORS = new Set(['all', 'allSettled', 'race', 'any']);

function isPromiseCombinator(node) {
  return (
    node?.type === 'CallExpression' &&
    node.callee.type === 'MemberExpression' &&
    node.callee.object.type === 'Identifier' &&
    node.callee.object.name === 'Promise' &&
    node.callee.property.type === 'Identifier' &&
    COMBINATORS.has(node.callee.property.name)
  );
}

const FUNCTIONS = new Set(['FunctionExpression', 'ArrowFunctionExpression', 'FunctionDeclaration']);

export const noAwaitInPromiseAll = {
  meta: {
    type: 'problem',
    docs: { description: 'no await inside the array given to Promise.all and its kin' },
    messages: {
      awaitInside:
        'await inside Promise.{{name}}([…]): the promises started before it have no handler while it waits. Start them all, then await.',
    },
    schema: [],
  },
  create(context) {
    return {
      AwaitExpression(node) {
        // Walk up to the nearest function: an await inside a callback (items.map(async …)) is that
        // callback's own business.
        for (let parent = node.parent; parent; parent = parent.parent) {
          if (FUNCTIONS.has(parent.type)) return;
          if (
            parent.type === 'ArrayExpression' &&
            isPromiseCombinator(parent.parent) &&
            parent.parent.arguments[0] === parent
          ) {
            context.report({
              node,
              messageId: 'awaitInside',
              data: { name: parent.parent.callee.property.name },
            });
            return;
          }
        }
      },
    };
  },
};

export default { rules: { 'no-await-in-promise-all': noAwaitInPromiseAll } };
