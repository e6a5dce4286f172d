/** Entry point of the TodoApp operator; the controller is wired in here. */
console.log('todo-operator: not wired yet');
